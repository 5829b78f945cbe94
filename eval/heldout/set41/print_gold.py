import os,sys; sys.stdout.write(open(os.path.splitext(sys.argv[1])[0]+'.json',encoding='utf-8').read())
